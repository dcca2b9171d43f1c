import ArgumentParser

/// The command line's one way out on a library error: its message on standard error, prefixed
/// with the command, and exit status 1. Argument-parser errors (usage, `--help`, exit codes)
/// pass through to the parser, which prints them itself.
func failing<T>(_ prefix: String = "gonet", _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as ExitCode {
        throw e
    } catch let e as ValidationError {
        throw e
    } catch let e as CleanExit {
        throw e
    } catch {
        printError("\(prefix): \(error)")
        throw ExitCode(1)
    }
}
