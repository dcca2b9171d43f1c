/// One SGF property: its identifier (uppercase letters only) and raw values, escapes resolved.
public struct SGFProperty: Sendable, Hashable {
    /// The identifier, such as `B` or `AB`.
    public var id: String
    /// The values, escapes resolved.
    public var values: [String]
    /// Where the identifier starts, for error messages.
    public var line: Int32 = 0
    /// The byte column where the identifier starts.
    public var column: Int32 = 0

    /// A property with its values and place.
    public init(_ id: String, _ values: [String], line: Int32 = 0, column: Int32 = 0) {
        self.id = id
        self.values = values
        self.line = line
        self.column = column
    }

    /// Identifier and values only: positions do not make two properties different.
    public static func == (a: SGFProperty, b: SGFProperty) -> Bool { a.id == b.id && a.values == b.values }
    /// Hashes identifier and values (not the place, as `==` ignores it).
    public func hash(into h: inout Hasher) {
        h.combine(id)
        h.combine(values)
    }
}

/// One SGF node: its properties in file order.
public struct SGFNode: Sendable, Hashable {
    /// The properties, in file order.
    public var properties: [SGFProperty] = []

    /// A node with `properties`.
    public init(properties: [SGFProperty] = []) { self.properties = properties }

    /// The first property with this identifier.
    public subscript(id: String) -> SGFProperty? { properties.first { $0.id == id } }
}
