/** Tables of the payments module. */
export {};
