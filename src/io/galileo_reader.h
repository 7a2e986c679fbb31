// Reads a static fault tree written in the Galileo format (the input of DFTCalc, Storm and DFTRES):
//   toplevel "System";
//   "System" or "A" "B";            gates: and, or, <k>of<n> (voting), vot<k>
//   "A" lambda=0.001 repair=0.1;    basic events: lambda= (failure rate per hour), repair= (repair
//   "B" prob=0.01;                  rate per hour), prob= (probability); dorm= is accepted (it only
//                                   matters to spare gates, which are dynamic)
// Dynamic gates (pand, por, seq, wsp, csp, hsp, spare, fdep, pdep, mutex) are refused with a message
// naming the gate, and so is anything else the format has that a static tree cannot hold; every
// error names file:line:column. Names are quoted ("...") or bare words; // and /* */ are comments.
#pragma once

#include <string>

#include "model/fault_tree.h"

namespace nines::io {

FaultTree read_galileo_file(const std::string& path);
FaultTree read_galileo_text(const std::string& text, const std::string& name);

}  // namespace nines::io
