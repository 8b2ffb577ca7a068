/** The oversight pages' texts, zh-CN and English (merged under the `oversight` key of each language). */
export const oversightZhCN = {};

export const oversightEn: typeof oversightZhCN = {};
