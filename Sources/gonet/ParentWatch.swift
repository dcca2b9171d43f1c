import Foundation

/// Ends the process when the program that started it goes away. GUIs often start an engine
/// through a shell (KaTrain's "override engine command" runs `sh -c …`, and Debian's dash does
/// not `exec` the command), then stop it by signalling the shell alone: the engine would live on,
/// its input never closed, and the GUI would wait on its output forever.
enum ParentWatch {
    /// How often the parent is looked at: a second is unnoticeable next to a GUI's own shutdown.
    static let interval: TimeInterval = 1

    /// Starts watching: when the parent process changes (it died and the engine was handed to
    /// init), the process exits.
    static func exitWhenOrphaned() {
        let parent = getppid()
        let t = Thread {
            while true {
                Thread.sleep(forTimeInterval: interval)
                if getppid() != parent { exit(0) }
            }
        }
        t.start()
    }
}
