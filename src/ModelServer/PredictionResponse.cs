namespace Aviary.ModelServer;

/// <summary>
/// The answer to <c>POST /v/{version}/predict</c>: the request's id, the model and version, the
/// prediction (a value, or the positive class' probability), its label for a binary model, and for
/// an ensemble each member's answer.
/// </summary>
public sealed record PredictionResponse(
    string RequestId,
    string Model,
    string Version,
    double Prediction,
    string? Label,
    IReadOnlyList<MemberPrediction>? Members);
