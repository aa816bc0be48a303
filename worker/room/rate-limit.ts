/** A token bucket: `capacity` actions at once, refilled at `perSecond`. Pure: time comes in. */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.at = now;
  }

  /** Takes `count` tokens (one action, or its size) if there are that many; false means "over the limit", and costs nothing. */
  take(now: number, count = 1): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens < count) return false;
    this.tokens -= count;
    return true;
  }
}
