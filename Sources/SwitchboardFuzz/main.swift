import Foundation

// `switchboard-fuzz TARGET [libFuzzer options] [CORPUS...]`: coverage-guided fuzzing of one reader of
// untrusted input with libFuzzer. Built with `-sanitize=fuzzer` (`make fuzz` does it, in .build-fuzz);
// `switchboard-fuzz list` names the targets.

/// libFuzzer's own driver (compiler-rt, LLVM 12 and later): it parses the options and calls back
/// for each input.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The target chosen on the command line; set once, before the driver starts.
nonisolated(unsafe) var chosen: FuzzTarget?

/// One input, as libFuzzer hands it over (its runtime also links to this name).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    chosen?.run(data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? [])
    return 0
}

var arguments = CommandLine.arguments
guard arguments.count > 1, let target = FuzzTarget.all.first(where: { $0.name == arguments[1] }) else {
    let names = FuzzTarget.all.map(\.name).joined(separator: " ")
    if arguments.count > 1, arguments[1] == "list" {
        print(names)
        exit(0)
    }
    FileHandle.standardError.write(Data("usage: switchboard-fuzz TARGET [libFuzzer options] [CORPUS...]\ntargets: \(names)\n".utf8))
    exit(2)
}
chosen = target
arguments.remove(at: 1)
var argc = CInt(arguments.count)
var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
let status = cArguments.withUnsafeMutableBufferPointer { buffer in
    var argv = buffer.baseAddress
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzOne)
}
exit(status)
