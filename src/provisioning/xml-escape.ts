/**
 * XML escaping for phone files with the predefined entities only. Handlebars' own escaping
 * writes numeric references such as `&#x3D;` for `=`, which Htek phones are not known to decode.
 */

const textEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const attributeEntities: Record<string, string> = { ...textEntities, '"': '&quot;', "'": '&apos;' };

// XML 1.0 has no way to write these characters, not even as references.
// eslint-disable-next-line no-control-regex
const forbiddenCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/** Escapes element text. Throws on characters that XML cannot carry. */
export function escapeXmlText(value: string): string {
  assertXmlCharacters(value);
  return value.replace(/[&<>]/g, (char) => textEntities[char] ?? char);
}

/** Escapes an attribute value written between double quotes. */
export function escapeXmlAttribute(value: string): string {
  assertXmlCharacters(value);
  return value.replace(/[&<>"']/g, (char) => attributeEntities[char] ?? char);
}

function assertXmlCharacters(value: string): void {
  if (forbiddenCharacters.test(value)) {
    throw new Error('A value contains a control character that cannot be written to an XML file');
  }
}
