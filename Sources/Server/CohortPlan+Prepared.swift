import Database
import Planner

extension CohortPlan {
    /// The statement for many members, ready for the pool: its member arrays as one `text`
    /// bind, the planner's own lists as `text[]`.
    var prepared: PreparedSQL {
        PreparedSQL(sql, listParameters: Set(binds.indices.filter { isList($0 + 1) }))
    }
}
