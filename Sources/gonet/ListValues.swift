import ArgumentParser

/// Lists on the command line are written with spaces (`--batches 1 8 64`), as every list option
/// of gonet takes them; commas (`--batches 1,8,64`) are read too.
enum ListValues {
    /// The words, each split at commas.
    static func words(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",").map(String.init) }
    }

    /// Positive integers, or an error naming the option and the word.
    static func integers(_ values: [String], option: String) throws -> [Int] {
        try words(values).map { word in
            guard let n = Int(word), n > 0 else {
                throw ValidationError("\(option) takes positive integers, not \(word)")
            }
            return n
        }
    }
}
