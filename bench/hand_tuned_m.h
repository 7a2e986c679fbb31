// The yardstick for the kernel's speed: model M (50 pairs, each 1-of-2, in series; exponential failure
// and repair, unlimited crews) simulated by a loop written for that model alone. It uses the kernel's
// event queue, random streams and samplers in the same order, so it processes exactly the same events
// and must find exactly the same availability; what it leaves out is generality (the structure is
// "a pair count per pair", not a graph; there are no event kinds, no operations, no planned outages).
// It measures what model M's results need: system downtime and outages, per-unit failures and downtime,
// and the availability grid.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/event_queue.h"
#include "sim/kernel_model.h"
#include "sim/random_stream.h"

namespace nines::bench {

class HandTunedModelM {
public:
    explicit HandTunedModelM(const sim::KernelModel& km) : km_(km) {
        const auto units = static_cast<std::size_t>(km.graph.instance_count);
        queue_.reserve(static_cast<int>(units));
        streams_.resize(units);
        down_.assign(units, 0);
        down_since_.assign(units, 0.0);
        downtime_.assign(units, 0.0);
        failures_.assign(units, 0);
        pair_down_.assign(units / 2, 0);
        grid_up_.assign(static_cast<std::size_t>(km.grid_points), 0);
        outages_.reserve(1024);
    }

    // One replication; returns its unavailability and adds its events to *events.
    double run(std::uint64_t replication, std::int64_t* events) {
        const int units = km_.graph.instance_count;
        queue_.clear();
        outages_.clear();
        std::fill(down_.begin(), down_.end(), 0);
        std::fill(pair_down_.begin(), pair_down_.end(), 0);
        for (int i = 0; i < units; ++i) {
            const auto c = static_cast<std::size_t>(km_.instance_component[static_cast<std::size_t>(i)]);
            streams_[static_cast<std::size_t>(i)].reset(km_.seed, replication, km_.stream_key[c],
                                                        static_cast<std::uint32_t>(i - km_.component_first[c]));
            queue_.schedule(i, km_.instance_failure[static_cast<std::size_t>(i)].draw(streams_[static_cast<std::size_t>(i)]));
        }
        const double horizon = km_.horizon_h;
        const double step = km_.grid_step_h;
        int next_grid = 0;
        double next_grid_time = 0;
        int pairs_down = 0;
        double system_down_since = 0, system_downtime = 0;
        std::int64_t n = 0;
        while (!queue_.empty()) {
            const double t = queue_.top_time();
            if (t >= horizon) break;
            if (next_grid_time < t) {
                while (next_grid < km_.grid_points && next_grid * step < t) {
                    if (pairs_down == 0) ++grid_up_[static_cast<std::size_t>(next_grid)];
                    ++next_grid;
                }
                next_grid_time = next_grid < km_.grid_points ? next_grid * step : INFINITY;
            }
            ++n;
            const int i = queue_.top_slot();
            const auto iu = static_cast<std::size_t>(i);
            const auto c = static_cast<std::size_t>(km_.instance_component[iu]);
            if (!down_[iu]) {
                down_[iu] = 1;
                down_since_[iu] = t;
                ++failures_[iu];
                queue_.reschedule_top(t + km_.repair[c].draw(streams_[iu]));
                if (++pair_down_[iu / 2] == 2 && pairs_down++ == 0) system_down_since = t;
            } else {
                down_[iu] = 0;
                downtime_[iu] += t - down_since_[iu];
                queue_.reschedule_top(t + km_.instance_failure[iu].draw(streams_[iu]));
                if (pair_down_[iu / 2]-- == 2 && --pairs_down == 0) {
                    system_downtime += t - system_down_since;
                    outages_.push_back(t - system_down_since);
                }
            }
        }
        if (pairs_down > 0) system_downtime += horizon - system_down_since;
        *events += n;
        return system_downtime / horizon;
    }

private:
    const sim::KernelModel& km_;
    sim::EventQueue queue_;
    std::vector<sim::RandomStream> streams_;
    std::vector<std::uint8_t> down_;
    std::vector<double> down_since_, downtime_;
    std::vector<std::int64_t> failures_;
    std::vector<int> pair_down_;
    std::vector<std::int64_t> grid_up_;
    std::vector<double> outages_;
};

}  // namespace nines::bench
