/** A fault the emulator injects into matching requests. */
export interface Fault {
  /** Wait this long before answering (or before the route runs, when nothing else is set). */
  delayMs?: number;
  /** Answer with this status instead of running the route. */
  status?: number;
  /** The body of that answer: an object is sent as JSON, a string as text. */
  body?: unknown;
  /** Extra headers on the answer: the injected one, or the route's own when no status is set. */
  headers?: Record<string, string>;
  /** Sets `Retry-After` (seconds) on the answer: the injected one, or the route's own. */
  retryAfter?: number;
  /**
   * Send the route's status, headers and first body bytes at once, then hold the rest of the body
   * for this long: a server that stalls mid-response.
   */
  stallBodyMs?: number;
  /** Destroy the connection without answering. */
  drop?: boolean;
  /** Answer 200 (or `status`) with an HTML body instead of JSON. */
  nonJson?: boolean;
}

/** Which requests a fault applies to. */
export interface FaultRule {
  /** Limit to one provider's routes. */
  provider?: string;
  /** Limit to one method (case-insensitive). */
  method?: string;
  /**
   * The path after the provider's base path (`/v2/me`), or the whole path when no provider is set.
   * A string matches exactly; a RegExp tests.
   */
  path?: string | RegExp;
  /** How many matching requests get the fault. Default: every one until cleared. */
  times?: number;
  fault: Fault;
}

/** A rule and how many more times it fires. */
interface ActiveRule extends FaultRule {
  id: number;
  remaining: number;
}

/** The fault table of one emulator. */
export class FaultTable {
  #rules: ActiveRule[] = [];
  #nextId = 1;

  /** Adds a rule and returns its id. */
  add(rule: FaultRule): number {
    const id = this.#nextId++;
    this.#rules.push({ ...rule, id, remaining: rule.times ?? Number.POSITIVE_INFINITY });
    return id;
  }

  /** Removes one rule, or all when no id is given. */
  clear(id?: number): void {
    this.#rules = id === undefined ? [] : this.#rules.filter((rule) => rule.id !== id);
  }

  /** The first rule matching the request, consuming one of its uses. */
  take(method: string, provider: string | undefined, path: string, subPath: string): Fault | undefined {
    for (const rule of this.#rules) {
      if (rule.remaining <= 0) continue;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.provider && rule.provider !== provider) continue;
      const target = rule.provider ? subPath : path;
      if (rule.path !== undefined) {
        const hit = typeof rule.path === 'string' ? rule.path === target : rule.path.test(target);
        if (!hit) continue;
      }
      rule.remaining -= 1;
      return rule.fault;
    }
    return undefined;
  }
}
