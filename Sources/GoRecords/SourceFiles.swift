import Foundation

/// Finds game-record files: paths as given, directories searched recursively.
public enum SourceFiles {
    /// File names gonet reads as SGF (compressed or not).
    public static func isSGF(_ path: String) -> Bool {
        let p = path.lowercased()
        return p.hasSuffix(".sgf") || p.hasSuffix(".sgf.zst") || p.hasSuffix(".sgfs") || p.hasSuffix(".sgfs.zst")
    }

    /// A directory named that holds no file to read.
    public struct EmptyDirectory: Error, CustomStringConvertible {
        /// The directory, as named.
        public let path: String
        /// The message, naming the directory.
        public var description: String { "\(path): no game records in this directory (SGF, .sgf.zst)" }
    }

    /// Every file named, and every accepted file under each directory named (a link to a directory
    /// is followed), sorted within a directory; a directory with none is an error that names it.
    public static func expand(_ paths: [String], matching accept: (String) -> Bool = isSGF) throws(EmptyDirectory)
        -> [String]
    {
        var out: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
                // The enumerator does not descend into a link; its target's contents are the same names.
                let root = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
                let found = (fm.enumerator(atPath: root)?.allObjects as? [String] ?? [])
                    .filter(accept)
                    .sorted()
                    .map { (path as NSString).appendingPathComponent($0) }
                guard !found.isEmpty else { throw EmptyDirectory(path: path) }
                out += found
            } else {
                out.append(path)
            }
        }
        return out
    }
}
