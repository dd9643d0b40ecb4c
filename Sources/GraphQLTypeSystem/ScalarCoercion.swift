/// Input coercion of the built-in scalars (spec §3.5.1–§3.5.5); custom scalars pass through.
enum ScalarCoercion {
    static func coerce(_ value: JSONValue, to scalar: String, path: [String]) throws(InputCoercion.Failure) -> CoercedValue {
        func fail(_ message: String) -> InputCoercion.Failure {
            InputCoercion.Failure(path: path, message: message)
        }
        switch scalar {
        case "Int":
            guard case .number(let text) = value, let number = Double(text) else {
                throw fail("Int cannot represent non-integer value: \(value.inspected)")
            }
            guard number.rounded() == number else {
                throw fail("Int cannot represent non-integer value: \(value.inspected)")
            }
            guard number >= Double(Int32.min), number <= Double(Int32.max) else {
                throw fail("Int cannot represent non 32-bit signed integer value: \(value.inspected)")
            }
            return .int(Int32(number))
        case "Float":
            guard case .number(let text) = value, let number = Double(text), number.isFinite else {
                throw fail("Float cannot represent non numeric value: \(value.inspected)")
            }
            return .float(number)
        case "String":
            guard case .string(let text) = value else {
                throw fail("String cannot represent a non string value: \(value.inspected)")
            }
            return .string(text)
        case "Boolean":
            guard case .bool(let flag) = value else {
                throw fail("Boolean cannot represent a non boolean value: \(value.inspected)")
            }
            return .boolean(flag)
        case "ID":
            switch value {
            case .string(let text):
                return .id(text)
            case .number(let text) where Int64(text) != nil:
                return .id(String(Int64(text)!))
            default:
                throw fail("ID cannot represent value: \(value.inspected)")
            }
        default:
            return .custom(value)
        }
    }
}
