/// Text written into the HTML and SVG documents gonet makes: training plots, tournament reports,
/// the course server's pages (game records and names come from users, so every one is escaped).
public enum Markup {
    /// Text made safe inside elements and quoted attributes.
    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
