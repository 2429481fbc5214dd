/** Options every command accepts (SPEC section 3). */
export interface GlobalOptions {
  config?: string;
  store?: string;
  format: 'text' | 'json' | 'sarif' | 'markdown';
  quiet?: boolean;
  color: boolean;
}
