import type { Status } from "../lib/connection";

const LABELS: Record<Status, string> = {
  connecting: "Connecting…",
  joined: "Connected",
  waiting: "Waiting for the room to open",
  reconnecting: "Reconnecting…",
  failed: "Disconnected",
};

export function ConnectionBadge(props: { status: Status }) {
  return (
    <span class={`badge badge-${props.status}`} role="status" data-testid="connection">
      {LABELS[props.status]}
    </span>
  );
}
