/** The codes of the demo's own routes (the development tools and the Host check). */
export type AppErrorCode = 'ERR_BAD_REQUEST' | 'ERR_EMULATOR' | 'ERR_HOST_NOT_ALLOWED';

/** An error of the demo itself, with the HTTP status it answers with. Its message is shown as it is. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
