# syntax=docker/dockerfile:1
# Build the single executable with the pinned Deno, then run it on a distroless base.
ARG DENO_VERSION=2.9.6

FROM denoland/deno:${DENO_VERSION} AS build
WORKDIR /app
COPY deno.json deno.lock ./
COPY main.ts ./
COPY src ./src
RUN deno task compile && mkdir -p /data

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /app/dist/helpdesk-bot /app/helpdesk-bot
COPY --from=build --chown=nonroot:nonroot /data /data
ENV DATABASE_PATH=/data/helpdesk.db
VOLUME ["/data"]
USER nonroot
ENTRYPOINT ["/app/helpdesk-bot"]
