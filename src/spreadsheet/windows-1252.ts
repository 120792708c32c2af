/**
 * Characters of Windows-1252 bytes 0x80-0x9F (WHATWG Encoding Standard index). Bytes 0x81,
 * 0x8D, 0x8F, 0x90 and 0x9D have no character and decode to the same code point.
 */
const HIGH_CONTROL_RANGE = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d,
  0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x009d, 0x017e, 0x0178,
];

/**
 * Decodes Windows-1252 bytes. TextDecoder('windows-1252') in Node 20.18.3 and later (checked
 * on 20.20.2) decodes as ISO-8859-1, which turns 0x80 (€) and the curly quotes into control
 * characters, so that range is mapped here. With a correct decoder the mapping changes nothing.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const text = new TextDecoder('windows-1252').decode(bytes);

  return text.replace(/[\u0080-\u009f]/g, (character) => {
    const codePoint = HIGH_CONTROL_RANGE[character.charCodeAt(0) - 0x80] ?? character.charCodeAt(0);
    return String.fromCharCode(codePoint);
  });
}
