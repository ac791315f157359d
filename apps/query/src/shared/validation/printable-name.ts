/** 1 to 128 characters, none of them a control or format character (key and runner names). */
export const PRINTABLE_NAME_PATTERN = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Co}]{1,128}$/u;

/** 1 to 200 such characters (the source a viewer token is restricted to). */
export const PRINTABLE_SOURCE_ID_PATTERN = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Co}]{1,200}$/u;

/** A reason given for an act (a re-trigger, a schedule): 1 to 1024 characters, no control characters. */
export const REASON_PATTERN = /^[^\p{Cc}]{1,1024}$/u;
