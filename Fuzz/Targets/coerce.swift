import GraphQLLanguage
import GraphQLTypeSystem

/// Any bytes as a request's `variables` JSON, coerced against variables of every kind of input
/// type the demo admin API has: filters, orderings, inserted rows, scalars of each column type.
let coercionDocument: Document? = try? Parser.parse("""
    query Q($w: tasks_bool_exp, $o: [tasks_order_by!], $l: Int, $off: Int, $id: uuid!, $n: numeric, $b: bigint,
            $j: jsonb, $t: timestamptz, $d: date, $f: Float, $flag: Boolean, $s: String,
            $rows: [comments_insert_input!], $c: comments_on_conflict, $set: tasks_set_input, $inc: tasks_inc_input) {
      __typename
    }
    """)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCoerce(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard let api = DemoProject.apis["admin"], let document = coercionDocument,
          let operation = document.operations.first,
          case .object(let members)? = try? JSONValue.parse(bytes: Array(UnsafeBufferPointer(start: data, count: size)), maxDepth: 256)
    else { return 0 }
    let variables = Dictionary(members, uniquingKeysWith: { $1 })
    _ = VariableCoercion(schema: api.schema).coerce(operation.variableDefinitions, inputs: variables)
    return 0
}
