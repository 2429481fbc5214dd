import { describe, expect, it } from 'vitest';
import { parseText } from '../../src/formats/text.js';

describe('parseText', () => {
  it('is a list of lines; the final newline does not make an empty last line', () => {
    expect(parseText('a\nb\n')).toEqual({ document: ['a', 'b'], problems: [] });
    expect(parseText('a\nb')).toEqual({ document: ['a', 'b'], problems: [] });
  });

  it('keeps blank lines inside the file and at its end before the final newline', () => {
    expect(parseText('a\n\nb\n\n').document).toEqual(['a', '', 'b', '']);
    expect(parseText('\n').document).toEqual(['']);
  });

  it('reads an empty file as no lines', () => {
    expect(parseText('')).toEqual({ document: [], problems: [] });
  });
});
