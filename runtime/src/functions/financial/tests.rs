//! Tests of the financial functions, with values from Microsoft's function
//! documentation and from the values Excel cached in the corpus workbooks.
