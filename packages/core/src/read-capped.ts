/**
 * Reads a byte stream to its end, keeping at most `maxBytes`: one more byte cancels the stream and
 * throws what `tooLarge` returns, so an answer or request body never grows the process past the cap.
 *
 * Errors: whatever `tooLarge` builds (core's HTTP layer aborts the attempt; a login route answers 413);
 * a failing stream's own error.
 *
 * @example
 * ```ts
 * const bytes = await readCapped(request.body, 16_384, () => new InvalidArgumentError('Body too large.'));
 * ```
 */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      void reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) {
    // Node hands out Buffers; callers get a plain Uint8Array over the same memory.
    const [only] = chunks as [Uint8Array];
    return new Uint8Array(only.buffer, only.byteOffset, only.byteLength);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
