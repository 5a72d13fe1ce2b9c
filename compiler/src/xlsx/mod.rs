//! Reading `.xlsx` files into a [`RawWorkbook`]: sheets, cells, formulas as
//! written (shared formulas not yet expanded), defined names, data
//! validations and calculation settings.
