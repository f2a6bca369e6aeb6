import Foundation
import Hummingbird
import IQPCore

/// The tokens of `iqp serve --token-file`: one per line (blank lines and lines starting with `#`
/// are skipped), each 16 to 512 printable ASCII characters without spaces. A request must carry
/// `Authorization: Bearer TOKEN`; the job it makes belongs to that token (its line), and no
/// other token can see, fetch or delete it.
public struct BearerTokens: Sendable {
    let tokens: [[UInt8]]

    public static let minimumLength = 16

    public init(tokens: [String]) throws {
        var seen = Set<String>()
        for (k, token) in tokens.enumerated() {
            guard (BearerTokens.minimumLength...512).contains(token.utf8.count) else {
                throw IQPError("token \(k + 1) has \(token.utf8.count) characters; use \(BearerTokens.minimumLength) to 512 "
                    + "(e.g. `openssl rand -hex 32`)", field: "token-file")
            }
            guard token.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw IQPError("token \(k + 1) has a space or a non-ASCII character", field: "token-file")
            }
            guard seen.insert(token).inserted else {
                throw IQPError("token \(k + 1) appears twice", field: "token-file")
            }
        }
        guard !tokens.isEmpty else { throw IQPError("the file has no token", field: "token-file") }
        self.tokens = tokens.map { Array($0.utf8) }
    }

    /// Reads a token file; errors name the file and line.
    public static func read(path: String) throws -> BearerTokens {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw IQPError("cannot read the token file: \(error.localizedDescription)", file: path)
        }
        var tokens: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let token = line.trimmingCharacters(in: .whitespaces)
            if token.isEmpty || token.hasPrefix("#") { continue }
            do { _ = try BearerTokens(tokens: [token]) } catch var error as IQPError {
                error.message = error.message.replacingOccurrences(of: "token 1 ", with: "the token ")
                error.file = path
                error.line = number + 1
                error.field = nil
                throw error
            }
            tokens.append(token)
        }
        do { return try BearerTokens(tokens: tokens) } catch var error as IQPError {
            error.file = path
            error.field = nil
            throw error
        }
    }

    /// The first token (what a client sends).
    public var first: String { String(decoding: tokens[0], as: UTF8.self) }

    /// The owner (token index) of an `Authorization` header value, nil if it is not one of the
    /// tokens. Every token is compared in full, so the time does not tell how much matched.
    func owner(authorization: String?) -> Int? {
        guard let authorization, authorization.count > 7,
              authorization.prefix(7).lowercased() == "bearer " else { return nil }
        let given = Array(authorization.utf8.dropFirst(7))
        var found: Int?
        for (k, token) in tokens.enumerated() {
            var difference = UInt8(token.count == given.count ? 0 : 1)
            for i in 0..<token.count { difference |= token[i] ^ (i < given.count ? given[i] : 0) }
            if difference == 0 { found = k }
        }
        return found
    }
}

/// The request context of the service: Hummingbird's core context, the owner of the request
/// (set by `AuthenticationMiddleware`) and the JSON encoder of the answers (keys sorted).
public struct ServiceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The token that made the request (0 without authentication).
    var owner = 0

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

/// With a token file: every request but `GET /healthz` needs a valid bearer token (else 401),
/// and is served as its token's owner.
struct AuthenticationMiddleware: RouterMiddleware {
    let tokens: BearerTokens?

    func handle(_ request: Request, context: ServiceRequestContext,
                next: (Request, ServiceRequestContext) async throws -> Response) async throws -> Response {
        guard let tokens, Route(path: request.uri.path).needsToken else { return try await next(request, context) }
        guard let owner = tokens.owner(authorization: request.headers[.authorization]) else {
            throw ServiceError.unauthorized
        }
        var context = context
        context.owner = owner
        return try await next(request, context)
    }
}
