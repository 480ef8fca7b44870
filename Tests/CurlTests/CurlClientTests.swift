import Curl
import Testing

/// The client against a real Hummingbird server on 127.0.0.1.
@Suite("CurlClient", .timeLimit(.minutes(1)))
struct CurlClientTests {
    @Test("POST body and headers arrive; echoed status, headers and body come back")
    func postEcho() async throws {
        try await TestServer.run { baseURL in
            let client = CurlClient()
            let body = (0..<4096).map { UInt8(truncatingIfNeeded: $0 * 7) }  // binary, not UTF-8
            let response = try await client.execute(CurlRequest(
                method: "POST",
                url: "\(baseURL)/echo?status=201",
                headers: [HTTPHeader("Content-Type", "application/octet-stream"), HTTPHeader("X-Test", "  hello world ")],
                body: body
            ))
            #expect(response.status == 201)
            #expect(response.body == body)
            #expect(response.header("x-echo-method") == "POST")
            #expect(response.header("X-ECHO-CONTENT-TYPE") == "application/octet-stream")
            #expect(response.header("X-Echo-Content-Length") == "4096")
            #expect(response.header("X-Echo-X-Test") == "hello world")
            #expect(response.header("X-Echo-Expect") == "(none)")
            #expect(response.header("Content-Length") == "4096")
            #expect(response.headers.allSatisfy { $0.name == $0.name.trimmed && $0.value == $0.value.trimmed })
        }
    }

    @Test("Without a Content-Type header none is sent; empty header values are sent")
    func noDefaultContentType() async throws {
        try await TestServer.run { baseURL in
            let client = CurlClient()
            let response = try await client.execute(CurlRequest(
                method: "POST",
                url: "\(baseURL)/echo",
                headers: [HTTPHeader("X-Empty", "")],
                body: Array("{\"a\":1}".utf8)
            ))
            #expect(response.status == 200)
            #expect(response.header("X-Echo-Content-Type") == "(none)")
            #expect(response.header("X-Echo-X-Empty") == "")
            #expect(String(decoding: response.body, as: UTF8.self) == "{\"a\":1}")
        }
    }

    @Test("Each method is sent as given", arguments: [
        ("GET", ""), ("POST", "post body"), ("POST", ""), ("PUT", "put body"), ("PATCH", "patch body"),
        ("DELETE", ""), ("DELETE", "delete body"), ("OPTIONS", ""), ("HEAD", ""),
    ])
    func methods(method: String, body: String) async throws {
        try await TestServer.run { baseURL in
            let client = CurlClient()
            let response = try await client.execute(CurlRequest(method: method, url: "\(baseURL)/echo", body: Array(body.utf8)))
            #expect(response.status == 200)
            #expect(response.header("X-Echo-Method") == method)
            #expect(String(decoding: response.body, as: UTF8.self) == (method == "HEAD" ? "" : body))
            if method == "POST" || method == "PUT" || method == "PATCH" || !body.isEmpty {
                #expect(response.header("X-Echo-Content-Length") == "\(body.utf8.count)")
            }
        }
    }

    @Test("Non-2xx statuses are returned, not thrown", arguments: [200, 201, 204, 301, 400, 404, 418, 500, 503])
    func statuses(code: Int) async throws {
        try await TestServer.run { baseURL in
            let response = try await CurlClient().execute(CurlRequest(url: "\(baseURL)/status/\(code)"))
            #expect(response.status == code)
            #expect(String(decoding: response.body, as: UTF8.self) == (code == 204 ? "" : "status \(code)"))
        }
    }

    @Test("Redirects are returned, not followed")
    func redirectNotFollowed() async throws {
        try await TestServer.run { baseURL in
            let response = try await CurlClient().execute(CurlRequest(url: "\(baseURL)/redirect"))
            #expect(response.status == 302)
            #expect(response.header("location") == "/status/200")
        }
    }

    @Test("Response headers keep order and repeats")
    func responseHeaders() async throws {
        try await TestServer.run { baseURL in
            let response = try await CurlClient().execute(CurlRequest(url: "\(baseURL)/headers"))
            #expect(response.headers.filter { $0.name.lowercased() == "x-multi" }.map(\.value) == ["first", "second"])
            #expect(response.header("x-single") == "value with spaces")
            #expect(response.header("X-Missing") == nil)
        }
    }

    @Test("50 concurrent requests on one client all complete correctly")
    func concurrentRequests() async throws {
        try await TestServer.run { baseURL in
            let client = CurlClient()
            let results = try await withThrowingTaskGroup(of: (Int, CurlResponse).self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let response = try await client.execute(CurlRequest(
                            method: "POST",
                            url: "\(baseURL)/echo?status=\(200 + index % 3)",
                            headers: [HTTPHeader("X-Test", "\(index)")],
                            body: Array("request \(index)".utf8)
                        ))
                        return (index, response)
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            #expect(results.count == 50)
            for (index, response) in results {
                #expect(response.status == 200 + index % 3)
                #expect(response.header("X-Echo-X-Test") == "\(index)")
                #expect(String(decoding: response.body, as: UTF8.self) == "request \(index)")
            }
        }
    }

    @Test("Sequential requests reuse the connection")
    func connectionReuse() async throws {
        try await TestServer.run { baseURL in
            let client = CurlClient()
            let first = try await client.execute(CurlRequest(url: "\(baseURL)/peer"))
            let second = try await client.execute(CurlRequest(url: "\(baseURL)/peer"))
            #expect(first.status == 200)
            #expect(first.body == second.body)
        }
    }

    @Test("Connection refused throws CurlError")
    func connectionRefused() async throws {
        let refusing = try RefusingPort()
        let error = await #expect(throws: CurlError.self) {
            try await CurlClient().execute(CurlRequest(url: "http://127.0.0.1:\(refusing.port)/"))
        }
        #expect(error?.code == 7)  // CURLE_COULDNT_CONNECT
        #expect(error?.description.hasPrefix("curl error 7: ") == true)
    }

    @Test("A URL curl cannot or must not use throws CurlError", arguments: [
        ("not a url", 3),  // CURLE_URL_MALFORMAT
        ("ftp://127.0.0.1/file", 1),  // CURLE_UNSUPPORTED_PROTOCOL: only http and https are enabled
        ("file:///etc/passwd", 1),
    ])
    func badURL(url: String, code: Int) async throws {
        let error = await #expect(throws: CurlError.self) {
            try await CurlClient().execute(CurlRequest(url: url))
        }
        #expect(error?.code == code)
    }

    @Test("Header names or values with line breaks are rejected", arguments: [
        HTTPHeader("X-Test", "a\r\nX-Injected: 1"), HTTPHeader("X-Test\n", "a"), HTTPHeader("X-Test", "a\nb"),
    ])
    func headerInjection(header: HTTPHeader) async throws {
        let error = await #expect(throws: CurlError.self) {
            try await CurlClient().execute(CurlRequest(url: "http://127.0.0.1:9/", headers: [header]))
        }
        #expect(error?.code == 43)  // CURLE_BAD_FUNCTION_ARGUMENT
    }

    @Test("A slow endpoint beyond the timeout throws CurlError promptly")
    func timeout() async throws {
        try await TestServer.run { baseURL in
            let client = CurlClient()
            let start = ContinuousClock.now
            let error = await #expect(throws: CurlError.self) {
                try await client.execute(CurlRequest(url: "\(baseURL)/slow?ms=3000", timeout: .milliseconds(300)))
            }
            #expect(error?.code == 28)  // CURLE_OPERATION_TIMEDOUT
            #expect(ContinuousClock.now - start < .seconds(2))
        }
    }

    @Test("Cancelling the calling task ends the request promptly with CancellationError")
    func cancellation() async throws {
        try await TestServer.run { baseURL in
            let client = CurlClient()
            let start = ContinuousClock.now
            let task = Task {
                try await client.execute(CurlRequest(url: "\(baseURL)/slow?ms=3000", timeout: .seconds(30)))
            }
            try await Task.sleep(for: .milliseconds(300))
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(ContinuousClock.now - start < .seconds(2))

            // The client still works afterwards.
            let response = try await client.execute(CurlRequest(url: "\(baseURL)/status/200"))
            #expect(response.status == 200)
        }
    }

    @Test("Requests cancelled at random moments each end with a response or CancellationError")
    func cancellationRaces() async throws {
        try await TestServer.run { baseURL in
            let client = CurlClient()
            let tasks = (0..<50).map { index in
                Task {
                    try await client.execute(CurlRequest(url: "\(baseURL)/slow?ms=\(index % 5 * 20)"))
                }
            }
            for (index, task) in tasks.enumerated() {
                if index % 3 == 0 { try await Task.sleep(for: .milliseconds(index % 7)) }
                task.cancel()
            }
            for task in tasks {
                switch await task.result {
                case .success(let response): #expect(response.status == 200)
                case .failure(let error): #expect(error is CancellationError)
                }
            }
            // The client still works afterwards.
            #expect(try await client.execute(CurlRequest(url: "\(baseURL)/status/204")).status == 204)
        }
    }

    @Test("A task cancelled before the request starts throws CancellationError")
    func cancelledBeforeStart() async throws {
        let client = CurlClient()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.execute(CurlRequest(url: "http://127.0.0.1:9/"))
        }
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test("A response larger than maxResponseBytes fails; one at the limit succeeds", arguments: [false, true])
    func maxResponseBytes(chunked: Bool) async throws {
        try await TestServer.run { baseURL in
            let client = CurlClient(maxResponseBytes: 10_000)
            let query = chunked ? "&chunked=1" : ""
            let atLimit = try await client.execute(CurlRequest(url: "\(baseURL)/bytes?count=10000\(query)"))
            #expect(atLimit.body.count == 10_000)
            // Chunked: only the write callback can stop it; otherwise curl sees Content-Length first.
            if chunked {
                #expect(atLimit.header("Transfer-Encoding") == "chunked")
            } else {
                #expect(atLimit.header("Content-Length") == "10000")
            }
            #expect(atLimit.body == (0..<10_000).map { UInt8(truncatingIfNeeded: $0) })

            let error = await #expect(throws: CurlError.self) {
                try await client.execute(CurlRequest(url: "\(baseURL)/bytes?count=50000\(query)"))
            }
            #expect(error?.code == 63)  // CURLE_FILESIZE_EXCEEDED
            #expect(error?.message.contains("maxResponseBytes") == true)
        }
    }

    @Test("shutdown fails requests in flight and later ones, and is idempotent")
    func shutdown() async throws {
        try await TestServer.run { baseURL in
            let client = CurlClient()
            let start = ContinuousClock.now
            let inFlight = Task {
                try await client.execute(CurlRequest(url: "\(baseURL)/slow?ms=3000"))
            }
            try await Task.sleep(for: .milliseconds(300))
            client.shutdown()
            await #expect(throws: CurlError.self) { try await inFlight.value }
            #expect(ContinuousClock.now - start < .seconds(2))

            client.shutdown()
            await #expect(throws: CurlError.self) {
                try await client.execute(CurlRequest(url: "\(baseURL)/status/200"))
            }
        }
    }
}

extension String {
    var trimmed: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
