/**
 * The name each account goes by in this room. Display names are not unique,
 * accounts are: the first account to join as "Ada" is "Ada" here, a second
 * one "Ada (2)", and each keeps its name for the life of the room (until it
 * changes its display name). Everything the room shows and moderates by name
 * (roster, chat authors, MUTE) therefore names exactly one account.
 */
export class SeatStore {
  constructor(private readonly sql: SqlStorage) {}

  /**
   * The name this account has here, or the one it would get now (nothing is
   * written). Names are compared in NFC, so "Zoë" typed with a combining
   * accent is the same name as "Zoë" typed with one character.
   */
  labelFor(userId: string, displayName: string): string {
    const name = displayName.normalize("NFC");
    const seat = this.sql.exec<{ name: string; label: string }>("SELECT name, label FROM seats WHERE user_id = ?", userId).toArray()[0];
    if (seat && seat.name === name) return seat.label;
    for (let n = 1; ; n++) {
      const label = n === 1 ? name : `${name} (${n})`;
      const holder = this.sql.exec<{ user_id: string }>("SELECT user_id FROM seats WHERE label = ?", label).toArray()[0];
      if (!holder || holder.user_id === userId) return label;
    }
  }

  /** Keeps `label` for this account (call in the same synchronous step as labelFor). */
  take(userId: string, displayName: string, label: string): void {
    const name = displayName.normalize("NFC");
    this.sql.exec(
      `INSERT INTO seats (user_id, name, label) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, label = excluded.label`,
      userId,
      name,
      label,
    );
  }

  /** The account that goes by `label` here, if any. */
  accountOf(label: string): string | null {
    return this.sql.exec<{ user_id: string }>("SELECT user_id FROM seats WHERE label = ?", label).toArray()[0]?.user_id ?? null;
  }
}
