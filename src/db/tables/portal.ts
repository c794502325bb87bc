/** Tables of the portal module. */
export {};
