//! Iso-FLOP.
