/** Tables of the conversations module. */
export {};
