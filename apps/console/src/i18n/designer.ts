/** The designer pages' texts, zh-CN and English (merged under the `designer` key of each language). */
export const designerZhCN = {};

export const designerEn: typeof designerZhCN = {};
