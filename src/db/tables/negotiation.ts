/** Tables of the negotiation module. */
export {};
