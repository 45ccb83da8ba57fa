/** Keys the producer writes besides the stream: its cursor and the initial-training share. */
export const cursorKey = (pipeline: string) => `state/${pipeline}/producer-cursor.json`;
export const initialDatasetKey = (pipeline: string) => `datasets/${pipeline}/initial.ndjson.gz`;
