/*
 * GeoReport v2 answers in its two formats. The XML is the specification's (no namespace, UTF-8 declaration); the JSON
 * is its programmatic mapping by the Spark convention: the root element is dropped, a list element becomes an array
 * of its items, a leaf becomes a string, number, boolean or null.
 */

/** The formats a resource is served in: `<resource>.xml` (required by the specification) and `<resource>.json`. */
export const OPEN311_FORMATS = ['xml', 'json'] as const;
export type Open311Format = (typeof OPEN311_FORMATS)[number];

/** MIME types of the formats, as the discovery document lists them. */
export const OPEN311_MIME: Readonly<Record<Open311Format, string>> = {
  xml: 'text/xml',
  json: 'application/json',
};

/** A leaf value; `null` is an empty element in XML. */
export type Open311Leaf = string | number | boolean | null;
/** A value of a GeoReport answer: a leaf, a record of values, or a list. */
export type Open311Value = Open311Leaf | Open311Record | Open311Value[];
export interface Open311Record {
  [field: string]: Open311Value | undefined;
}

/**
 * The element name of each item of a list element, by the list's name, as the specification names them
 * (`services` → `service`, FixMyStreet's `service_request_updates` → `request_update`).
 */
export const ITEM_ELEMENT: Readonly<Record<string, string>> = {
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  service_requests: 'request',
  service_request_updates: 'request_update',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
};

/** One GeoReport answer before formatting: its root element's name and its content. */
export interface Open311Document {
  root: string;
  body: Open311Record | Open311Value[];
}

/** The answer as bytes of the format, with its Content-Type. */
export function render(document: Open311Document, format: Open311Format): { contentType: string; text: string } {
  if (format === 'json') {
    return { contentType: 'application/json; charset=utf-8', text: JSON.stringify(document.body) };
  }
  return {
    contentType: 'text/xml; charset=utf-8',
    text: `<?xml version="1.0" encoding="utf-8"?>\n${element(document.root, document.body)}\n`,
  };
}

function element(name: string, value: Open311Value | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) {
    const item = ITEM_ELEMENT[name];
    if (!item) throw new Error(`open311 format: no item element is known for the list <${name}>`);
    return `<${name}>${value.map((entry) => element(item, entry)).join('')}</${name}>`;
  }
  if (value === null) return `<${name}/>`;
  if (typeof value === 'object') {
    const children = Object.entries(value)
      .map(([key, child]) => element(key, child))
      .join('');
    return `<${name}>${children}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/**
 * Escapes text for an XML element's content. Characters XML 1.0 cannot carry at all (most C0 controls) are
 * dropped: an answer must stay well-formed whatever a stored text holds.
 */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
  );
}

/** A W3C datetime (the specification's subset of ISO 8601) in UTC, to the second: `2010-01-01T00:00:00Z`. */
export function w3cDatetime(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return null;
  return `${date.toISOString().slice(0, 19)}Z`;
}
