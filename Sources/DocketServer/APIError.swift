// Every failure a client can cause or meet, as an HTTP status plus a JSON body
// {"error": "<message>", "error_type": "<type>"} — TEI's ErrorResponse shape, with TEI's
// statuses where TEI has the case (413 validation, 422 tokenizer, 424 backend, 429 overloaded,
// 503 unhealthy) and plain HTTP meanings for the rest.
import DocketBase
import Foundation
import Hummingbird

public struct APIError: Error, Sendable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let type: String
    public let message: String

    public init(_ status: HTTPResponse.Status, _ type: String, _ message: String) {
        self.status = status; self.type = type; self.message = message
    }

    public var description: String { "\(status.code) \(type): \(message)" }

    /// Request body is not valid JSON (400).
    static func invalidJSON(_ detail: String) -> APIError { .init(.badRequest, "invalid_json", "malformed JSON: \(detail)") }
    /// Request body is not valid UTF-8 (400).
    static let invalidUTF8 = APIError(.badRequest, "invalid_utf8", "request body is not valid UTF-8")
    /// No inputs, or an input text that is empty or only whitespace (400, TEI "empty").
    static func empty(_ message: String) -> APIError { .init(.badRequest, "empty", message) }
    /// Wrong field type, missing field, unknown label (422).
    static func validation(_ message: String) -> APIError { .init(.unprocessableContent, "validation", message) }
    /// Too many inputs in one request, or an input longer than the model takes without truncation (413, as TEI).
    static func tooLarge(_ message: String) -> APIError { .init(.contentTooLarge, "validation", message) }
    /// Body larger than --max-body-bytes (413).
    static func bodyTooLarge(_ limit: Int) -> APIError {
        .init(.contentTooLarge, "payload_too_large", "request body larger than \(limit) bytes (--max-body-bytes)")
    }
    /// --max-concurrent-requests reached (429, TEI "overloaded").
    static func overloaded(_ limit: Int) -> APIError {
        .init(.tooManyRequests, "overloaded", "model is overloaded: \(limit) requests in flight (--max-concurrent-requests)")
    }
    /// The request did not finish within --request-timeout (504).
    static func timeout(_ seconds: Double) -> APIError {
        .init(.gatewayTimeout, "timeout", "request did not finish within \(seconds) s (--request-timeout)")
    }
    /// Inference failed (424, TEI "backend").
    static func backend(_ message: String) -> APIError { .init(.init(code: 424, reasonPhrase: "Failed Dependency"), "backend", "inference failed: \(message)") }
    /// The server is draining for shutdown (503, TEI "unhealthy").
    static let shuttingDown = APIError(.serviceUnavailable, "unhealthy", "server is shutting down")
    static func notFound(_ message: String) -> APIError { .init(.notFound, "not_found", message) }

    /// {"error": ..., "error_type": ...}
    var jsonBody: String { "{\"error\":\(JSONParser.quote(message)),\"error_type\":\(JSONParser.quote(type))}" }

    var response: Response { jsonResponse(jsonBody, status: status) }
}

/// A response with a JSON body.
func jsonResponse(_ json: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
    var headers = extra
    headers[.contentType] = "application/json"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
}

/// Turns every error thrown below it into the JSON error body: APIError as it is, Hummingbird's
/// own errors (404 no such route, 405 wrong method, 413 body limit) with their status, anything
/// else as 500. No error reaches Hummingbird's default (empty-bodied) error response.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response
        } catch let error as any HTTPResponseError {
            let type: String
            switch error.status {
            case .notFound: type = "not_found"
            case .methodNotAllowed: type = "method_not_allowed"
            case .contentTooLarge: type = "payload_too_large"
            default: type = "http"
            }
            let message = error.status == .notFound ? "no route \(request.method) \(request.uri.path)" : error.status.reasonPhrase
            return APIError(error.status, type, message).response
        } catch {
            return APIError(.internalServerError, "internal", "\(error)").response
        }
    }
}
