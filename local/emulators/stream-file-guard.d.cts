export declare const STREAM_FILE: 'streams.json';
export declare function repairStreamFile(dir: string): 'intact' | 'none' | 'restored' | 'lost';
export declare function keepGoodStreamFile(dir: string, everyMs: number): () => void;
export declare function settleStreamFile(
  dir: string,
  options?: { pollMs?: number; timeoutMs?: number },
): Promise<'settled' | 'timeout'>;
