//! Bytes and wires: ESC/POS layout, printer transports and scanner input (filled in by the receipts issue).
