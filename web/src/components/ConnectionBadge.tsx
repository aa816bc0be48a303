import type { Status } from "../lib/connection";

const LABELS: Record<Status, string> = {
  connecting: "Connecting…",
  joined: "Connected",
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
