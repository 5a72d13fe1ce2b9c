//! The lazy functions (`IF`, `IFERROR`, `IFNA`, `CHOOSE`, `IFS`, `SWITCH`):
//! only the branch taken is evaluated, as in the interpreter, and the
//! branches share the narrowest type that holds them all.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use runtime::ir::Expr;

use super::{Code, Gen, Generator, Kind, Scope, Unsupported};

impl Generator<'_> {
    /// The deciding argument of a lazy function as a `Value`: when it turns
    /// out to be an array, the whole cell goes to the interpreter, whose
    /// eager form maps over it.
    fn scalar_arg(&self, expr: &Expr, scope: &Scope<'_>) -> Gen<TokenStream> {
        let code = self.expr(expr, scope)?;
        if code.is_scalar() {
            return Ok(code.value());
        }
        let value = code.value();
        Ok(quote! {{
            let v = #value;
            if let Value::Array(_) = v {
                return f.interpret_here();
            }
            v
        }})
    }

    /// The deciding argument of `IF` or `IFS` as a truth value
    /// (`Result<bool, ExcelError>`), as [`Self::scalar_arg`] then
    /// `Value::to_bool` give it, without boxing a comparison's answer.
    fn condition(&self, expr: &Expr, scope: &Scope<'_>) -> Gen<TokenStream> {
        let code = self.expr(expr, scope)?;
        if code.is_scalar() {
            return Ok(code.truth());
        }
        let value = self.scalar_arg(expr, scope)?;
        Ok(quote! { (#value).to_bool() })
    }

    /// A branch result: an omitted argument is 0, a missing one `absent`.
    fn branch(&self, arg: Option<&Expr>, absent: Code, scope: &Scope<'_>) -> Gen<Code> {
        match arg {
            Some(Expr::Missing) => Ok(Code::Num(quote! { Ok::<f64, ExcelError>(0.0) })),
            Some(e) => self.expr(e, scope),
            None => Ok(absent),
        }
    }

    pub(super) fn lazy_if(&self, args: &[Expr], scope: &Scope<'_>) -> Gen<Code> {
        if args.is_empty() || args.len() > 3 {
            return Err(Unsupported);
        }
        let cond = self.condition(&args[0], scope)?;
        let absent = || Code::Scalar(quote! { Value::Bool(false) });
        let yes = self.branch(args.get(1), absent(), scope)?;
        let no = self.branch(args.get(2), absent(), scope)?;
        let kind = yes.kind().max(no.kind()).max(Kind::Num);
        let error = kind.error(&quote! { e });
        let (yes, no) = (yes.widen(kind), no.widen(kind));
        Ok(kind.wrap(quote! {
            match #cond {
                Err(e) => #error,
                Ok(true) => #yes,
                Ok(false) => #no,
            }
        }))
    }

    pub(super) fn lazy_iferror(&self, args: &[Expr], all: bool, scope: &Scope<'_>) -> Gen<Code> {
        if args.is_empty() || args.len() > 2 {
            return Err(Unsupported);
        }
        let value = self.scalar_arg(&args[0], scope)?;
        let zero = || Code::Num(quote! { Ok::<f64, ExcelError>(0.0) });
        let alt = match args.get(1) {
            Some(Expr::Missing) | None => zero(),
            Some(e) => self.expr(e, scope)?,
        };
        let kind = alt.kind().max(Kind::Scalar);
        let keep = Code::Scalar(quote! { v }).widen(kind);
        let alt = alt.widen(kind);
        let caught = match all {
            true => quote! { Value::Error(_) },
            false => quote! { Value::Error(ExcelError::NA) },
        };
        Ok(kind.wrap(quote! {{
            let v = #value;
            match v {
                #caught => #alt,
                v => #keep,
            }
        }}))
    }

    pub(super) fn lazy_choose(&self, args: &[Expr], scope: &Scope<'_>) -> Gen<Code> {
        if args.is_empty() {
            return Err(Unsupported);
        }
        let index = self.scalar_arg(&args[0], scope)?;
        let choices = args[1..].iter().map(|a| self.expr(a, scope)).collect::<Gen<Vec<Code>>>()?;
        let kind = choices.iter().map(Code::kind).max().unwrap_or(Kind::Num).max(Kind::Scalar);
        let error = kind.error(&quote! { e });
        let invalid = kind.error(&quote! { ExcelError::Value });
        let arms = choices.into_iter().enumerate().map(|(i, c)| {
            let n = i + 1;
            let c = c.widen(kind);
            quote! { #n => #c, }
        });
        let count = Literal::f64_suffixed(args.len() as f64);
        Ok(kind.wrap(quote! {
            match (#index).to_number() {
                Err(e) => #error,
                Ok(n) => {
                    let n = n.trunc();
                    if n < 1.0 || n >= #count {
                        #invalid
                    } else {
                        match n as usize {
                            #(#arms)*
                            _ => #invalid,
                        }
                    }
                }
            }
        }))
    }

    pub(super) fn lazy_ifs(&self, args: &[Expr], scope: &Scope<'_>) -> Gen<Code> {
        if args.is_empty() {
            return Err(Unsupported);
        }
        let mut pairs = Vec::new();
        for pair in args.chunks(2) {
            let cond = self.condition(&pair[0], scope)?;
            let result = match pair.get(1) {
                Some(e) => self.expr(e, scope)?,
                None => Code::Scalar(quote! { Value::Error(ExcelError::NA) }),
            };
            pairs.push((cond, result));
        }
        let kind = pairs.iter().map(|(_, r)| r.kind()).max().unwrap_or(Kind::Num).max(Kind::Scalar);
        let error = kind.error(&quote! { e });
        let mut code = kind.error(&quote! { ExcelError::NA });
        for (cond, result) in pairs.into_iter().rev() {
            let result = result.widen(kind);
            code = quote! {
                match #cond {
                    Err(e) => #error,
                    Ok(true) => #result,
                    Ok(false) => #code,
                }
            };
        }
        Ok(kind.wrap(code))
    }

    pub(super) fn lazy_switch(&self, args: &[Expr], scope: &Scope<'_>) -> Gen<Code> {
        if args.is_empty() {
            return Err(Unsupported);
        }
        let subject = self.scalar_arg(&args[0], scope)?;
        let rest = &args[1..];
        let mut cases = Vec::new();
        for pair in rest.chunks_exact(2) {
            cases.push((self.scalar_arg(&pair[0], scope)?, self.expr(&pair[1], scope)?));
        }
        let default = match rest.len() % 2 {
            1 => Some(self.expr(&rest[rest.len() - 1], scope)?),
            _ => None,
        };
        let kinds = cases.iter().map(|(_, r)| r.kind()).chain(default.iter().map(Code::kind));
        let kind = kinds.max().unwrap_or(Kind::Num).max(Kind::Scalar);
        let error = kind.error(&quote! { e });
        let mut code = match default {
            Some(d) => d.widen(kind),
            None => kind.error(&quote! { ExcelError::NA }),
        };
        for (candidate, result) in cases.into_iter().rev() {
            let result = result.widen(kind);
            code = quote! {{
                let c = #candidate;
                if let Value::Error(e) = c {
                    #error
                } else if runtime::compare::excel_eq(&s, &c).unwrap_or(false) {
                    #result
                } else {
                    #code
                }
            }};
        }
        Ok(kind.wrap(quote! {{
            let s = #subject;
            if let Value::Error(e) = s { #error } else { #code }
        }}))
    }
}
