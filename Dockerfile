# syntax=docker/dockerfile:1
# Build the single executable with the pinned Deno, then run it on a distroless base:
# no shell, no package manager, a non-root user, the database on the /data volume.
ARG DENO_VERSION=2.9.6

FROM denoland/deno:${DENO_VERSION} AS build
WORKDIR /app
COPY deno.json deno.lock ./
COPY main.ts ./
COPY src ./src
RUN deno task compile && mkdir -p /data

# cc: glibc and libgcc, which the Deno runtime inside the binary needs; nonroot is uid 65532.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /app/dist/helpdesk-bot /app/helpdesk-bot
COPY --from=build --chown=nonroot:nonroot /data /data
# PORT: the webhook and /healthz in webhook mode; HEALTH_PORT: /healthz in polling mode.
ENV DATABASE_PATH=/data/helpdesk.db \
    HOST=0.0.0.0 \
    PORT=8080 \
    HEALTH_PORT=8081
VOLUME ["/data"]
WORKDIR /app
USER nonroot
EXPOSE 8080
# No curl in distroless: the binary asks its own /healthz (exit 0 when it answers 200).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["/app/helpdesk-bot", "healthcheck"]
ENTRYPOINT ["/app/helpdesk-bot"]
