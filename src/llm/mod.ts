/**
 * Drafts from a language model (`LLM_URL`), the part that talks to the model: `client.ts`
 * sends one chat completions request, `drafter.ts` is the loop that takes draft requests off
 * the hot path and hands the answers to the desk. The prompt and the answer's reading are pure
 * rules (`src/rules/drafts.ts`); what staff see and press is the desk's (`src/desk/drafts.ts`).
 * Stands on the outbox's floor: it writes through the commit boundary, and reaches the desk
 * only through {@link DraftOutcomes}.
 *
 * @module
 */
export { complete, ModelError, type ModelProblem } from "./client.ts";
export {
  Drafter,
  type DrafterDeps,
  type DraftOutcomes,
  MAX_IN_FLIGHT,
  MAX_TRIES,
} from "./drafter.ts";
