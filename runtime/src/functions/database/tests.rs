//! Tests of the database functions, with the values Excel cached in the
//! corpus workbooks and Microsoft's DSUM example.
