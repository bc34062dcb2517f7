/**
 * One walk over a schema's AST: `mapChildren` rebuilds a node over new children (the one place that knows
 * the shape of every node), `rewrite` applies it at every depth with a few rules (drop some refinements, make
 * every member optional), `children` lists a node's children for code that only reads the tree.
 *
 * What the domain derives from the model's schemas is built with it (the lenient output schema without the
 * model's constraints, the input schema without the service-token constraints, the secret member names), and
 * so are the tests' schemas without any check.
 *
 * @example
 * ```ts
 * import * as AstRewrite from "@social-messaging/domain/AstRewrite"
 * import { Schema } from "effect"
 *
 * // The same types with none of the checks, every member optional.
 * const loose = Schema.make(AstRewrite.rewrite(schema.ast, { dropRefinement: () => true, allOptional: true }))
 * ```
 */
import * as SchemaAST from "effect/SchemaAST"

/** What `rewrite` changes; everything else is kept (types, annotations, transformations, declarations). */
export interface Rules {
  /** Whether a refinement goes (its `from`, rewritten, takes its place). Default: every refinement stays. */
  readonly dropRefinement?: ((refinement: SchemaAST.Refinement) => boolean) | undefined
  /** Every member of every struct optional (default `false`). */
  readonly allOptional?: boolean | undefined
}

/**
 * `ast` rebuilt over `f` of each of its direct children: a refinement's and a transformation's sides, a
 * declaration's type parameters, a struct's member and index signature types (and parameters), a tuple's
 * elements and rest, a union's members; a suspended schema's target lazily, when it is first forced. Other
 * nodes (literals, keywords, enums, template literals) have no children and are answered as they are.
 */
export const mapChildren = (
  ast: SchemaAST.AST,
  f: (child: SchemaAST.AST) => SchemaAST.AST,
  allOptional = false
): SchemaAST.AST => {
  switch (ast._tag) {
    case "Refinement":
      return new SchemaAST.Refinement(f(ast.from), ast.filter, ast.annotations)
    case "Transformation":
      return new SchemaAST.Transformation(f(ast.from), f(ast.to), ast.transformation, ast.annotations)
    case "Declaration":
      return new SchemaAST.Declaration(ast.typeParameters.map(f), ast.decodeUnknown, ast.encodeUnknown, ast.annotations)
    case "TypeLiteral":
      return new SchemaAST.TypeLiteral(
        ast.propertySignatures.map((ps) =>
          new SchemaAST.PropertySignature(
            ps.name,
            f(ps.type),
            allOptional || ps.isOptional,
            ps.isReadonly,
            ps.annotations
          )
        ),
        ast.indexSignatures.map((is) => {
          const parameter = f(is.parameter)
          return new SchemaAST.IndexSignature(
            SchemaAST.isParameter(parameter) ? parameter : is.parameter,
            f(is.type),
            is.isReadonly
          )
        }),
        ast.annotations
      )
    case "TupleType":
      return new SchemaAST.TupleType(
        ast.elements.map((e) => new SchemaAST.OptionalType(f(e.type), e.isOptional, e.annotations)),
        ast.rest.map((r) => new SchemaAST.Type(f(r.type), r.annotations)),
        ast.isReadonly,
        ast.annotations
      )
    case "Union":
      return SchemaAST.Union.make(ast.types.map(f), ast.annotations)
    case "Suspend":
      return new SchemaAST.Suspend(() => f(ast.f()), ast.annotations)
    default:
      return ast
  }
}

/** `ast` with `rules` applied at every depth (a suspended part when it is first forced). */
export const rewrite = (ast: SchemaAST.AST, rules: Rules): SchemaAST.AST => {
  const recur = (node: SchemaAST.AST): SchemaAST.AST => rewrite(node, rules)
  if (ast._tag === "Refinement" && rules.dropRefinement?.(ast) === true) return recur(ast.from)
  return mapChildren(ast, recur, rules.allOptional === true)
}

/**
 * The direct children of `ast`, as `mapChildren` visits them (a suspended schema's target forced): for walks
 * that read the tree. A recursive schema comes back to a node it has seen: such a walk keeps a set of them.
 */
export const children = (ast: SchemaAST.AST): ReadonlyArray<SchemaAST.AST> => {
  if (ast._tag === "Suspend") return [ast.f()]
  const out: Array<SchemaAST.AST> = []
  // The node `mapChildren` builds is thrown away; what counts is that it visits each child once, in order.
  mapChildren(ast, (child) => {
    out.push(child)
    return child
  })
  return out
}

/**
 * The shapes a value of `ast` may have on its type side: refinements, transformations (their `to`) and
 * suspended schemas looked through, unions flattened. For code that asks what a value is (a struct, a list, a
 * `Redacted`) whatever checks and conversions wrap it.
 */
export const alternatives = (ast: SchemaAST.AST): ReadonlyArray<SchemaAST.AST> => {
  const out: Array<SchemaAST.AST> = []
  const seen = new Set<SchemaAST.AST>()
  const visit = (node: SchemaAST.AST): void => {
    if (seen.has(node)) return
    seen.add(node)
    switch (node._tag) {
      case "Refinement":
        return visit(node.from)
      case "Transformation":
        return visit(node.to)
      case "Suspend":
        return visit(node.f())
      case "Union":
        return node.types.forEach(visit)
      default:
        out.push(node)
    }
  }
  visit(ast)
  return out
}
