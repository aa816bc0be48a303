/**
 * Where a refused request's ERROR is shown: beside the thing that sent it.
 * The room names the request an ERROR answers (`payload.action`, and
 * `payload.clientId` when the request carried one), so one table decides
 * the panel. Before this, every panel saw every ERROR: a chat refused as
 * MUTED showed above the code editor and cancelled a Run in progress.
 */
import type { Action, ResponseOf } from "../../../protocol";
import { errorText } from "./error-text";

export type ErrorPayload = ResponseOf<"ERROR">["payload"];

/** A panel that shows the errors of the requests it sends. */
export type ErrorTarget = "connection" | "run" | "share" | "chat" | "questions" | "help" | "docs" | "live";

/**
 * Every action of the protocol, and whose it is. A `Record` over `Action`:
 * a new action fails the build until someone decides where its errors go.
 */
export const ERROR_TARGET: Record<Action, ErrorTarget> = {
  JOIN: "connection",
  LEAVE: "connection",
  RUN: "run",
  SHARE: "share",
  CHAT: "chat",
  CHAT_EDIT: "chat",
  CHAT_DELETE: "chat",
  MUTE: "chat",
  HISTORY: "chat",
  ASK: "questions",
  VOTE: "questions",
  ANSWER: "questions",
  QUESTION_DELETE: "questions",
  DOC_SUBSCRIBE: "docs",
  DOC_PUSH: "docs",
  DOC_PULL: "docs",
  DOC_MODE: "docs",
  DOC_HISTORY: "docs",
  DOC_CURSOR: "docs",
  BOARD: "questions",
  HAND_RAISE: "help",
  HAND_WITHDRAW: "help",
  HAND_CLAIM: "help",
  HAND_RESOLVE: "help",
  LIVE_START: "live",
  LIVE_STOP: "live",
  LIVE_SIGNAL: "live",
};

/** The panel for one ERROR. A frame the room could not tie to an action (bad JSON, an unknown action) is the connection's business. */
export function errorTarget(error: ErrorPayload): ErrorTarget {
  return error.action ? ERROR_TARGET[error.action] : "connection";
}

export type ErrorHandler = (error: ErrorPayload) => void;

/**
 * Delivers each ERROR to the one handler registered for its target. A target
 * nobody shows right now (a panel not on this page, or not mounted) falls
 * back to the connection's handler, so an error is never dropped silently.
 */
export class ErrorRouter {
  private readonly handlers = new Map<ErrorTarget, ErrorHandler>();

  constructor(private readonly fallback: ErrorHandler) {}

  /** Makes `handler` the one for `target`; returns the way to let go of it again. */
  on(target: ErrorTarget, handler: ErrorHandler): () => void {
    this.handlers.set(target, handler);
    return () => {
      if (this.handlers.get(target) === handler) this.handlers.delete(target);
    };
  }

  /** Every panel receives the error already in plain words (error-text.ts), so none shows the server's developer-facing ones. */
  route(error: ErrorPayload): void {
    (this.handlers.get(errorTarget(error)) ?? this.fallback)({ ...error, error_message: errorText(error) });
  }
}
