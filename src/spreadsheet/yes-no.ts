const YES_WORDS = new Set(['yes', 'true', '1', 'y', 'on']);
const NO_WORDS = new Set(['no', 'false', '0', 'n', 'off']);

/**
 * Parses a yes/no cell: yes/no, true/false, 1/0, y/n and on/off in any case, with surrounding
 * spaces ignored. Returns undefined for blank or any other text.
 */
export function parseYesNo(text: string): boolean | undefined {
  const word = text.replace(/[\s\u00a0]+/g, ' ').trim().toLowerCase();

  if (YES_WORDS.has(word)) {
    return true;
  }
  if (NO_WORDS.has(word)) {
    return false;
  }
  return undefined;
}

export function formatYesNo(value: boolean): 'yes' | 'no' {
  return value ? 'yes' : 'no';
}
