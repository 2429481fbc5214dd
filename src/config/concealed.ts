import { inspect } from 'node:util';

/**
 * A credential from the config file (a webhook's HMAC secret). It prints as
 * `***` however it is printed (JSON, console.log, string concatenation), so a
 * resolved config can be logged or dumped without leaking it; `reveal()` is
 * the one way to read it, for the code that signs with it.
 *
 * @example
 * const secret = new Concealed('s3cret');
 * JSON.stringify({ secret }); // '{"secret":"***"}'
 * secret.reveal();            // 's3cret'
 */
export class Concealed {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '***';
  }

  toString(): string {
    return '***';
  }

  [inspect.custom](): string {
    return 'Concealed(***)';
  }
}
