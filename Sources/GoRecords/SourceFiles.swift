import Foundation

/// Finds game-record files: paths as given, directories searched recursively.
public enum SourceFiles {
    /// File names gonet reads as SGF (compressed or not).
    public static func isSGF(_ path: String) -> Bool {
        let p = path.lowercased()
        return p.hasSuffix(".sgf") || p.hasSuffix(".sgf.zst") || p.hasSuffix(".sgfs") || p.hasSuffix(".sgfs.zst")
    }

    /// Every file named, and every SGF file under each directory named, sorted within a directory.
    public static func expand(_ paths: [String], matching accept: (String) -> Bool = isSGF) -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
                let found = (fm.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                    .filter(accept)
                    .sorted()
                    .map { (path as NSString).appendingPathComponent($0) }
                out += found
            } else {
                out.append(path)
            }
        }
        return out
    }
}
