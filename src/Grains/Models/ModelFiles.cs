using Aviary.Agents;
using Aviary.Agents.Models;
using Aviary.Errors;

namespace Aviary.Grains.Models;

/// <summary>Where a registered version's files are: its card (a result of the run that trained it) and the files the card names beside it, all under the outputs folder.</summary>
public sealed class ModelFiles(AgentFiles files)
{
    /// <summary>The card's full path; refused when it is not a result of this cluster's runs, or gone.</summary>
    public string CardPath(string card)
    {
        string path;
        try
        {
            path = files.Result(card);
        }
        catch (InvalidDataException ex)
        {
            throw new AviaryValidationException("card", ex.Message);
        }
        if (!File.Exists(path))
            throw new AviaryNotFoundException("card", $"no model card '{card}' (a trainer task's result, e.g. run-1/train.1.card.json)");
        return path;
    }

    /// <summary>A file the card names (its model, its held-out rows), which must sit beside the card.</summary>
    public string Beside(string card, string name, string field)
    {
        var cardPath = CardPath(card);
        var folder = Path.GetDirectoryName(cardPath)!;
        var path = Path.GetFullPath(Path.Combine(folder, name));
        if (name.Length == 0 || Path.GetDirectoryName(path) != folder)
            throw new AviaryValidationException(field, $"the card names '{name}', which is not a file beside it");
        if (!File.Exists(path))
            throw new AviaryNotFoundException(field, $"'{name}' named by the card {card} does not exist");
        return path;
    }

    public string ModelFileOf(string card) => Beside(card, ReadCard(card).ModelFile, "modelFile");

    public ModelCard ReadCard(string card)
    {
        try
        {
            return ModelCard.Read(CardPath(card));
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidDataException)
        {
            throw new AviaryValidationException("card", $"'{card}' is not a model card: {ex.Message}");
        }
    }

    /// <summary>A result reference as given (the outputs-relative path), checked.</summary>
    public string Relative(string path) => Path.GetRelativePath(files.OutputRoot, path);
}
