using Aviary.Agents.Models;

namespace Aviary.Tests.Models;

/// <summary>The trainer at a million rows: the rows are encoded once into flat arrays, not copied into objects per row.</summary>
public sealed class TrainerScaleTests
{
    [Fact]
    public void Train_MillionRows_AllocatesAFewTimesTheEncodedRows()
    {
        var data = ShiftingData.Generate(1_000_000, seed: 4, shift: 0);
        var folder = Directory.CreateTempSubdirectory("aviary-train-1m-").FullName;
        try
        {
            var options = TrainedModels.Regression("price") with { Algorithm = "lightgbm" };
            var encoded = 1_000_000L * 9 * sizeof(float); // 4 numbers and a 5-way one-hot

            var before = GC.GetAllocatedBytesForCurrentThread();
            var card = Trainer.Train(data, options, Path.Combine(folder, "model.zip"), Path.Combine(folder, "holdout.json"));
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.True(allocated < 10 * encoded, $"training allocated {allocated:N0} bytes on its thread; the encoded rows are {encoded:N0}");
            Assert.Equal(new TrainingRows(800_000, 200_000, 0), card.Rows);
            Assert.True(card.Metrics.R2 > 0.9, $"R² {card.Metrics.R2}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
