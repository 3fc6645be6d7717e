import { createHmac, timingSafeEqual } from "node:crypto";
import { InvalidCursorError } from "./domain/errors.js";

/**
 * Opaque, tamper-evident pagination cursors. A cursor is `base64url(json).base64url(hmac)` where the HMAC
 * covers the list it was issued for (route and parameters) as well as the position, so a cursor replayed on
 * another list, or edited, fails verification before any database call.
 */
const MAX_CURSOR_LENGTH = 2048;

export class CursorCodec {
  readonly #key: Buffer;

  constructor(secret: string | Buffer) {
    // A key of its own, derived from the service secret: a cursor signature can never double as a token.
    this.#key = createHmac("sha256", secret).update("tablelab/cursor/v1").digest();
  }

  encode(list: string, position: unknown): string {
    const body = Buffer.from(JSON.stringify(position)).toString("base64url");
    return `${body}.${this.#sign(list, body)}`;
  }

  /** Returns the position the cursor carries, or throws InvalidCursorError. */
  decode<T>(list: string, cursor: string): T {
    if (cursor.length > MAX_CURSOR_LENGTH) throw new InvalidCursorError();
    const [body, signature, ...rest] = cursor.split(".");
    if (!body || !signature || rest.length > 0) throw new InvalidCursorError();
    const expected = Buffer.from(this.#sign(list, body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new InvalidCursorError();
    try {
      return JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as T;
    } catch {
      throw new InvalidCursorError();
    }
  }

  #sign(list: string, body: string): string {
    return createHmac("sha256", this.#key).update(list).update("\n").update(body).digest("base64url");
  }
}
