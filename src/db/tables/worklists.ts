/** Tables of the worklists module. */
export {};
