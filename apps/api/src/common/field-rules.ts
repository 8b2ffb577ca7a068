/*
 * Field rules shared by the DTOs of several modules, defined once so the same field is checked the same way
 * everywhere.
 */

/** A unit, category or other id of the org tree and catalogue: lowercase letters, digits and dashes, at most 64. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const UNIT_ID_MESSAGE = '$property must be a unit id: lowercase letters, digits and dashes, at most 64';

/** A slug of a process definition: lowercase words joined by single dashes. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** A process definition version label, `<id>@<n>`. */
export const VERSION_LABEL_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*@[1-9]\d{0,8}$/;
/** Text with at least one non-space character. */
export const NOT_BLANK_PATTERN = /\S/;

/**
 * Query strings carry text: `'true'` / `'false'` become booleans, anything else stays as it is and fails
 * `IsBoolean` with the field's name. Use with `@Transform(queryBoolean)`.
 */
export const queryBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;
