"""Pure image-processing functions behind the Pixel Lab lessons.

Every function takes NumPy arrays and returns NumPy arrays or plain data. Images
are exchanged as ``uint8`` arrays in RGB order, shape ``(H, W, 3)``, or as grey
``uint8`` arrays, shape ``(H, W)``. BGR appears only inside OpenCV calls. This
package never imports Streamlit, so it can be tested and reused on its own.
"""
